package org.hgrpc.repository.server.data;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.HgRepository;
import org.hgrpc.repository.data.PathFilter;
import org.hgrpc.repository.server.RepositoryOptions;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.exchange.ExchangeApi;
import org.hgrpc.server.spi.Command;

/**
 * The five data commands of API {@code exp-http-v2-0003} for one repository, and what the
 * 4.8 capabilities say of them.
 *
 * <p>{@link #commands()} offers them under API {@code exp-http-v2-0003} only (0001 has none of
 * them), with the 4.8 capabilities' extras: {@code recommendedbatchsize} of {@code
 * manifestdata} and {@code filesdata}, and {@code rawstorefiledata} advertised only where
 * stream clones are allowed. {@link org.hgrpc.repository.server.RepositoryCommandProvider}
 * registers them.
 */
public final class DataCommands {
  private final ChangesetData changesetData;
  private final ManifestData manifestData;
  private final FileData fileData;
  private final FilesData filesData;
  private final RawStoreFileData rawStoreFileData;
  private final Settings settings;

  /**
   * The advertised batch sizes ({@code experimental.server.manifestdata.recommended-batch-size},
   * default 100000, and {@code experimental.server.filesdata.recommended-batch-size}, default
   * 50000).
   *
   * @param manifestBatchSize nodes per {@code manifestdata} request clients should send
   * @param filesBatchSize changesets per {@code filesdata} request clients should send
   */
  public record Settings(int manifestBatchSize, int filesBatchSize) {
    /** Mercurial's defaults. */
    public static Settings defaults() {
      return from(HgrcConfig.empty());
    }

    /** The settings of {@code config}. */
    public static Settings from(HgrcConfig config) {
      return new Settings(config.getInt("experimental", "server.manifestdata.recommended-batch-size", 100000),
          config.getInt("experimental", "server.filesdata.recommended-batch-size", 50000));
    }
  }

  /** The commands serving {@code repo}. */
  public DataCommands(HgRepository repo, RepositoryOptions options, Settings settings) {
    this.settings = settings;
    this.changesetData = new ChangesetData(repo, options);
    this.manifestData = new ManifestData(repo);
    this.fileData = new FileData(repo, options);
    this.filesData = new FilesData(repo, options, settings.filesBatchSize());
    this.rawStoreFileData = new RawStoreFileData(repo, options);
  }

  /** changesetdata, manifestdata, filedata, filesdata, rawstorefiledata: under API {@code exp-http-v2-0003} only. */
  public List<Command> commands() {
    Set<ExchangeApi> api = EnumSet.of(ExchangeApi.HTTP_V2_0003);
    return List.of(
        changesetData.command().withApis(api),
        manifestData.command().withApis(api).withCapabilityExtras(
            Map.of(b("recommendedbatchsize"), (long) settings.manifestBatchSize())),
        fileData.command().withApis(api),
        filesData.command().withApis(api).withCapabilityExtras(
            Map.of(b("recommendedbatchsize"), (long) settings.filesBatchSize())),
        rawStoreFileData.command().withApis(api).withAdvertised(rawStoreFileData::advertised));
  }

  /** The {@code changesetdata} command's logic. */
  public ChangesetData changesetData() {
    return changesetData;
  }

  /** The {@code manifestdata} command's logic. */
  public ManifestData manifestData() {
    return manifestData;
  }

  /** The {@code filedata} command's logic. */
  public FileData fileData() {
    return fileData;
  }

  /** The {@code filesdata} command's logic. */
  public FilesData filesData() {
    return filesData;
  }

  /** The {@code rawstorefiledata} command's logic. */
  public RawStoreFileData rawStoreFileData() {
    return rawStoreFileData;
  }

  /**
   * The entries of these commands in the 4.8 capabilities' {@code commands} map: per
   * argument its {@code type}, {@code required}, {@code default} (optional ones) and
   * {@code validvalues}; {@code permissions}; {@code recommendedbatchsize} for
   * {@code manifestdata} and {@code filesdata}. {@code rawstorefiledata} is left out where
   * stream clones are not allowed, as the reference does.
   */
  public Map<ByteString, Object> capabilities() {
    Map<ByteString, Object> out = new LinkedHashMap<>();
    out.put(b("changesetdata"), entry(Map.of(
        "fields", optional("set", Set.of(), Set.of(b("bookmarks"), b("parents"), b("phase"), b("revision"))),
        "revisions", required("list")), null));
    out.put(b("manifestdata"), entry(Map.of(
        "fields", optional("set", Set.of(), Set.of(b("parents"), b("revision"))),
        "haveparents", optional("bool", false, null),
        "nodes", required("list"),
        "tree", required("bytes")), (long) settings.manifestBatchSize()));
    out.put(b("filedata"), entry(Map.of(
        "fields", optional("set", Set.of(), Set.of(b("linknode"), b("parents"), b("revision"))),
        "haveparents", optional("bool", false, null),
        "nodes", required("list"),
        "path", required("bytes")), null));
    out.put(b("filesdata"), entry(Map.of(
        "fields", optional("set", Set.of(), Set.of(b("firstchangeset"), b("linknode"), b("parents"), b("revision"))),
        "haveparents", optional("bool", false, null),
        "pathfilter", optional("dict", null, null),
        "revisions", required("list")), (long) settings.filesBatchSize()));
    if (rawStoreFileData.advertised()) {
      out.put(b("rawstorefiledata"), entry(Map.of(
          "files", required("list"),
          "pathfilter", optional("list", null, null)), null));
    }
    return out;
  }

  /** The capabilities' {@code pathfilterprefixes}: a set of the valid pattern prefixes. */
  public static Set<ByteString> pathFilterPrefixes() {
    Set<ByteString> out = new java.util.LinkedHashSet<>();
    PathFilter.PREFIXES.forEach(p -> out.add(b(p)));
    return out;
  }

  private static Map<ByteString, Object> entry(Map<String, Map<ByteString, Object>> args, Long batchSize) {
    Map<ByteString, Object> a = new TreeMap<>();
    args.forEach((k, v) -> a.put(b(k), v));
    Map<ByteString, Object> e = new LinkedHashMap<>();
    e.put(b("args"), a);
    e.put(b("permissions"), List.of(b("pull")));
    if (batchSize != null) {
      e.put(b("recommendedbatchsize"), batchSize);
    }
    return e;
  }

  private static Map<ByteString, Object> required(String type) {
    Map<ByteString, Object> m = new LinkedHashMap<>();
    m.put(b("required"), true);
    m.put(b("type"), b(type));
    return m;
  }

  private static Map<ByteString, Object> optional(String type, Object defaultValue, Set<ByteString> validValues) {
    Map<ByteString, Object> m = new LinkedHashMap<>();
    m.put(b("default"), defaultValue);
    m.put(b("required"), false);
    m.put(b("type"), b(type));
    if (validValues != null) {
      m.put(b("validvalues"), validValues);
    }
    return m;
  }

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }
}
