# A Mercurial extension the tests load into the installed hg: it prints what Mercurial itself
# answers for a view of the repository (heads, public heads, branch map, lookups, known), so
# that our pure-Java answers can be compared with it line by line.
from mercurial import registrar, scmutil
from mercurial.node import hex
from mercurial.utils import stringutil

cmdtable = {}
command = registrar.command(cmdtable)


def _msg(e):
    return stringutil.forcebytestr(e)


@command(b'hgrpcoracle', [(b'', b'view', b'served', b'the view')], b'[SYMBOL]...', optionalrepo=False)
def hgrpcoracle(ui, repo, *symbols, **opts):
    view = opts.get('view') or b'served'
    r = repo.unfiltered() if view == b'all' else repo.filtered(view)
    for h in r.heads():
        ui.write(b'head %s\n' % hex(h))
    for h in r.filtered(b'immutable').heads():
        ui.write(b'publichead %s\n' % hex(h))
    bm = r.branchmap()
    items = list(bm.items() if hasattr(bm, 'items') else bm.iteritems())
    for branch, nodes in sorted(items):
        ui.write(b'branch %s %s\n' % (branch, b' '.join(hex(n) for n in nodes)))
    for branch, nodes in sorted(items):
        ui.write(b'branchtip %s %s\n' % (branch, hex(r.branchtip(branch))))
    cl = repo.unfiltered().changelog
    known = r.known([cl.node(i) for i in cl])
    ui.write(b'known %s\n' % b''.join(b'1' if k else b'0' for k in known))
    for sym in symbols:
        try:
            node = scmutil.revsymbol(r, sym).node()
            ui.write(b'lookup %s %s\n' % (sym, hex(node) if node is not None else b'None'))
        except Exception as e:
            ui.write(b'lookuperror %s %s\n' % (sym, _msg(e).replace(b'\n', b' ')))
