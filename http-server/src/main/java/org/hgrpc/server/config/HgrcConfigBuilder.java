package org.hgrpc.server.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutable form of an {@link HgrcConfig} used while parsing and combining: Mercurial's {@code
 * config} object (sections of ordered items, and the {@code %unset} items kept for later layers).
 */
final class HgrcConfigBuilder {
  private final Map<String, LinkedHashMap<String, HgrcConfig.Entry>> data = new LinkedHashMap<>();
  private final List<HgrcConfig.Item> unsets = new ArrayList<>();

  HgrcConfigBuilder() {}

  HgrcConfigBuilder(HgrcConfig base) {
    base.data().forEach((s, items) -> data.put(s, new LinkedHashMap<>(items)));
    unsets.addAll(base.unsets());
  }

  void ensureSection(String section) {
    data.computeIfAbsent(section, s -> new LinkedHashMap<>());
  }

  /** Sets a value; a redefined key moves to the end, as with Mercurial's {@code sortdict}. */
  void set(String section, String key, String value, String source) {
    LinkedHashMap<String, HgrcConfig.Entry> items = data.computeIfAbsent(section, s -> new LinkedHashMap<>());
    items.remove(key);
    items.put(key, new HgrcConfig.Entry(value, source));
  }

  String value(String section, String key) {
    Map<String, HgrcConfig.Entry> items = data.get(section);
    HgrcConfig.Entry e = items == null ? null : items.get(key);
    return e == null ? null : e.value();
  }

  void unset(String section, String key) {
    Map<String, HgrcConfig.Entry> items = data.get(section);
    if (items != null) {
      items.remove(key);
    }
    unsets.add(new HgrcConfig.Item(section, key));
  }

  /** Mercurial's {@code config.update}; the unsets of {@code src} are kept for later layers. */
  void update(HgrcConfig src) {
    for (HgrcConfig.Item u : src.unsets()) {
      unset(u.section(), u.key());
    }
    src.data().forEach((s, items) -> {
      ensureSection(s);
      items.forEach((k, e) -> set(s, k, e.value(), e.source()));
    });
  }

  HgrcConfig build() {
    return new HgrcConfig(data, unsets);
  }
}
