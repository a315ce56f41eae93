"""The engines this process answers with: one per distinct base, shared, kept current.

Workspaces inherit their bases (see `claims.store.objects`), so most of them see exactly the
base of an ancestor: a thousand servers that never edited the shipped base all see the shipped
base. An engine is therefore kept per *key*, the workspaces of a chain that hold rows of their
own, and every workspace with the same key shares it. A workspace's first edit gives it a new
key; its engine is then a clone of its parent's with its own rows applied, which costs a copy
of the index, not a rebuild. Engines not used for a while are dropped (least recently used
first) and rebuilt on the next use. A workspace with a thousand rows of its own or more (an
imported base) is read whole instead.

A base read whole is indexed from each claim's stored index entry (`claims.store.terms`) when
it has one under the same reading of text, so a restart does not normalise the base again;
the entries it lacked are stored in the background once its engine is built.

Every read goes through `sync`, which applies what the change feed says happened since the
last look (in this process or any other): an edited claim is re-indexed alone, an outlet or an
article is replaced, and an entity or vocabulary change (which can change how every text reads)
rebuilds the engines that see it, and only those.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from claims.engine import Engine
from claims.lexicon import lexicon
from claims.load import Base, LazyClaims
from claims.match import IndexState, Matcher, claim_payload
from claims.models import Article, Claim, Outlet
from claims.snapshot import Snapshot, SnapshotError, decode, encode
from claims.store import Store
from claims.store.database import open_database
from claims.store.feed import ChangeRow
from claims.store.terms import TermsStore, claim_key, claim_keys
from claims.text import Normaliser

log = logging.getLogger(__name__)

DEFAULT_CAPACITY = 32
EMPTY_KEY: tuple[str, ...] = ()
# Normalising this many claims at start-up is cheaper than not trusting the stored terms at all;
# past it (a first start, a new release) the base is read the usual way, in parallel.
MAX_MISSES = 1000
# A workspace with more rows of its own than this (an imported base) is read whole, in bulk,
# rather than cloned from its parent's engine with its rows applied one by one.
CLONE_UP_TO = 1000
# Rows that change how every text reads: a workspace holding one is read whole, and a change
# to one rebuilds the engines that see it.
READ_WHOLE = ("entity", "term")
# Storing a first start's index entries in the background: a pause of SAVE_PAUSE_S every
# SAVE_STEP entries (100,000 entries: ~5 s longer to store, checks meanwhile as fast as ever).
SAVE_STEP = 200
SAVE_PAUSE_S = 0.01


@dataclass
class _Reading:
    """What building an engine found of its base's stored index (snapshot and entries)."""

    keys: dict[str, str]  # every active claim's key (`claim_key`), in the base's order
    missing: list[str] = field(default_factory=list)  # active claims with no entry stored
    reused: int = 0  # claims indexed without normalising them (from the snapshot or their entry)
    surplus: bool = False  # entries stored that no claim of this base is stored as
    how: str = "normalised"  # snapshot | snapshot, N claims changed since | entries | normalised


def _claim_keys(claims: LazyClaims) -> dict[str, str]:
    """Every active claim's key (what its index entry and a snapshot's row are stored under)."""
    return claim_keys(claims.active_stored())


def _named(key: tuple[str, ...]) -> str:
    return " → ".join(key) or "an empty base"


class Engines:
    """The engines of every workspace this process serves."""

    def __init__(self, store: Store, today: date | None = None, capacity: int = DEFAULT_CAPACITY):
        self.store = store
        self.today = today
        self.capacity = max(1, capacity)
        self.lock = threading.RLock()
        self._engines: OrderedDict[tuple[str, ...], Engine] = OrderedDict()
        # Read the feed's position first: whatever changes while the rest loads is applied again
        # at the next sync, which is harmless (applying reads the object's current state).
        self._seen = store.feed.latest()
        self._parents = store.workspaces.parents()
        self._with_rows = store.objects.workspaces_with_rows()
        self._servers: dict[str, str] = {}
        self.builds = 0  # engines built or cloned (for tests and the memory benchmark)
        # For tests and the restart benchmark: claims indexed without normalising them, engines
        # restored from a snapshot, and how each base's index was last made (see `_Reading.how`).
        self.terms_reused = 0
        self.snapshots_restored = 0
        self.index_made: dict[tuple[str, ...], str] = {}
        self._savers: list[threading.Thread] = []
        # Told of every change applied, whichever thread's sync applied it (a check, an edit, the
        # feed follower): `Crosscheck.follow` hands these to the bot as on_crosscheck_changes.
        self.listeners: list[Callable[[list[ChangeRow]], None]] = []

    # --- lookups --------------------------------------------------------------------------------

    def chain(self, workspace_id: str) -> tuple[str, ...]:
        """The workspace and its ancestors, nearest first (as this process last saw them)."""
        out: list[str] = []
        current: str | None = workspace_id
        while current is not None and current not in out and current in self._parents:
            out.append(current)
            current = self._parents[current]
        return tuple(out)

    def key(self, workspace_id: str) -> tuple[str, ...]:
        """The workspaces of the chain that hold rows: what the base seen there is made of."""
        return tuple(ws for ws in self.chain(workspace_id) if ws in self._with_rows)

    def engine(self, workspace_id: str) -> Engine:
        """The up-to-date engine of a workspace."""
        with self.lock:
            self.sync()
            if workspace_id not in self._parents:
                raise KeyError(f"no workspace {workspace_id!r}")
            return self._engine_for(self.key(workspace_id))

    def loaded_engine(self, workspace_id: str) -> Engine | None:
        """The workspace's engine if this process has it in memory (brought up to date), else None."""
        with self.lock:
            self.sync()
            return self._engines.get(self.key(workspace_id))

    def workspace_of_server(self, guild_id: str) -> str:
        """The workspace a server uses, giving it its own on first use."""
        with self.lock:
            self.sync()
            found = self._servers.get(str(guild_id))
        if found:
            return found
        workspace_id = self.store.workspaces.ensure_server(str(guild_id))
        with self.lock:
            self.sync()
            self._servers[str(guild_id)] = workspace_id
        return workspace_id

    def shared_by(self, workspace_id: str) -> int:
        """How many workspaces this process knows that see the same base (for the memory report)."""
        with self.lock:
            key = self.key(workspace_id)
            return sum(1 for ws in self._parents if self.key(ws) == key)

    def loaded(self) -> int:
        """How many engines are in memory."""
        return len(self._engines)

    # --- building -------------------------------------------------------------------------------

    def _engine_for(self, key: tuple[str, ...]) -> Engine:
        engine = self._engines.get(key)
        if engine is not None:
            self._engines.move_to_end(key)
            return engine
        engine = self._build(key)
        self._engines[key] = engine
        while len(self._engines) > self.capacity:
            evicted, _ = self._engines.popitem(last=False)
            log.info("dropped the idle engine of %s", _named(evicted))
        return engine

    def _build(self, key: tuple[str, ...]) -> Engine:
        self.builds += 1
        if not key:
            return Engine(Base({}, {}, {}, {}, {}), today=self.today)
        # Counted, not read: at a restart over 100,000 claims, parsing them all here cost seconds.
        own_rows, reads_text = self.store.objects.own_summary(key[0]) if len(key) > 1 else (0, False)
        if len(key) == 1 or own_rows > CLONE_UP_TO or reads_text:
            # A base of its own (or mostly its own), or one that names things differently: read it whole.
            # The English tables (~1 s to read, once per process) are read meanwhile: the engine
            # cannot answer without them, and much of reading a base is spent in the database.
            threading.Thread(target=lexicon, name="crosscheck-lexicon", daemon=True).start()
            base = self.store.objects.load(key, lazy=True)
            assert isinstance(base.claims, LazyClaims)
            reading = _Reading(keys=_claim_keys(base.claims))
            claims = base.claims
            try:
                engine = Engine(base, today=self.today,
                                stored_index=lambda normaliser: self._stored_index(key, claims, normaliser, reading))
            except ValueError:  # an entry that does not read back (a damaged table): trust none of them
                log.warning("the stored index entries do not read back; reading every claim again", exc_info=True)
                engine = Engine(base, today=self.today)
                self.store.terms.forget_reading(engine.normaliser.fingerprint())
                reading = _Reading(keys=reading.keys, missing=list(reading.keys), how="normalised")
            self.terms_reused += reading.reused
            self.index_made[key] = reading.how
            self._save_for_next_start(key, engine, claims, reading)
            return engine
        parent = self._engine_for(key[1:])
        engine = parent.clone()
        for row in self.store.objects.own(key[0]):
            _apply(engine, row.kind, row.id, row.data, row.body, row.file)
        return engine

    def _stored_index(self, key: tuple[str, ...], claims: LazyClaims, normaliser: Normaliser,
                      reading: _Reading) -> Matcher | None:
        """The index of every active claim without normalising the base: the base's snapshot
        (with the few claims changed since re-indexed), else the claims' stored entries; None
        (read the base the usual way) when neither will do. What was found is noted in `reading`."""
        matcher = self._from_snapshot(key, claims, normaliser, reading)
        if matcher is not None:
            return matcher
        payloads = self._stored_terms(claims, normaliser, reading)
        if payloads is None:
            return None
        reading.how = "entries"
        return Matcher(normaliser, source=claims, payloads=payloads)

    def _from_snapshot(self, key: tuple[str, ...], claims: LazyClaims, normaliser: Normaliser,
                       reading: _Reading) -> Matcher | None:
        """The base's index restored from its snapshot, the claims changed since (few) re-indexed
        from their stored entries or read again; None when there is no usable snapshot."""
        fingerprint = normaliser.fingerprint()
        blob = self.store.terms.load_snapshot(key, fingerprint)
        if blob is None:
            return None
        keys = reading.keys
        try:
            snapshot = decode(blob)
            del blob
            ids, row_keys = snapshot.state.ids, snapshot.keys
            if ids == list(keys) and row_keys == list(keys.values()):  # the usual case: nothing changed
                gone, fresh = [], []
            else:
                indexed = {cid: k for cid, k in zip(ids, row_keys, strict=True) if cid is not None}
                gone = [cid for cid, k in indexed.items() if keys.get(cid) != k]  # edited, retired or removed since
                fresh = [cid for cid, k in keys.items() if indexed.get(cid) != k]  # edited or added since
            changed = len(set(gone) | set(fresh))
            if changed > max(MAX_MISSES, len(keys) // 10):
                log.info("the index snapshot of %s is %d claims out of date; building the index from the claims' "
                         "entries", _named(key), changed)
                return None
            matcher = Matcher.restored(normaliser, snapshot.state, source=claims)
        except Exception as exc:  # a cache, damaged or not of this format: the entries are still there
            log.warning("the index snapshot of %s does not read back (%s); building the index from the claims' "
                        "entries", _named(key), exc, exc_info=not isinstance(exc, SnapshotError | ValueError))
            return None
        del snapshot
        for cid in gone:
            matcher.remove(cid)
        if fresh:
            stored = self.store.terms.load_some(fingerprint, [keys[cid] for cid in fresh])
            reading.missing = [cid for cid in fresh if keys[cid] not in stored]
            made = {cid: claim_payload(normaliser, claims[cid]) for cid in reading.missing}
            # A damaged entry raises ValueError here, as it would building from the entries.
            matcher.add_entries([(cid, made[cid] if cid in made else stored[keys[cid]]) for cid in fresh])
        self.snapshots_restored += 1
        reading.reused = len(keys) - len(reading.missing)
        reading.surplus = bool(gone)
        reading.how = f"snapshot, {changed} claims changed since" if changed else "snapshot"
        return matcher

    def _stored_terms(self, claims: LazyClaims, normaliser: Normaliser,
                      reading: _Reading) -> list[tuple[str, str]] | None:
        """Every active claim's index entry from `claim_terms`, normalising the few not stored;
        None (read the base the usual way) when too many are missing. What was found is noted
        in `reading`."""
        keys = reading.keys
        stored = self.store.terms.load(normaliser.fingerprint())
        reading.missing = [cid for cid, key in keys.items() if key not in stored]
        # entries of claims changed or removed since (or of another base read the same way)
        reading.surplus = len(stored) > len(keys) - len(reading.missing)
        if len(reading.missing) > max(MAX_MISSES, len(keys) // 10):
            return None
        fresh = {cid: claim_payload(normaliser, claims[cid]) for cid in reading.missing}
        reading.reused = len(keys) - len(reading.missing)
        return [(cid, fresh[cid] if cid in fresh else stored[key]) for cid, key in keys.items()]

    def _save_for_next_start(self, key: tuple[str, ...], engine: Engine, claims: LazyClaims,
                             reading: _Reading) -> None:
        """Store what the next start reads the index from, in the background and on a connection
        of its own (the first answer, and the checks after it, need not wait for it): the index
        entries of the claims that had none, and the index's snapshot unless it was restored
        exactly from it; note the reading and the snapshot are in use; drop the entries no claim
        is stored as any more."""
        fingerprint = engine.normaliser.fingerprint()
        stored = [(cid, claims.stored_json(cid) or "") for cid in reading.missing]  # as indexed
        forget = bool(stored) or reading.surplus
        matcher, generation, keys = engine.matcher, engine.matcher.generation, reading.keys

        def entries() -> dict[str, str]:
            out = {}
            for n, (cid, as_indexed) in enumerate(stored, 1):
                if n % SAVE_STEP == 0:
                    # Checks share the interpreter with this thread: a short pause every few
                    # hundred entries keeps them answering at their usual speed meanwhile.
                    time.sleep(SAVE_PAUSE_S)
                # A claim edited or retired since (the engine re-indexed it) would pair the old
                # claim with the new entry: it is left for the next start to store.
                if not as_indexed or claims.stored_json(cid) != as_indexed:
                    continue
                try:
                    payload = matcher.payload(cid)
                except KeyError:
                    continue
                if claims.stored_json(cid) == as_indexed:
                    out[claim_key(as_indexed)] = payload
            return out

        def snapshot(state: IndexState) -> bytearray | None:
            row_keys = [keys.get(cid) if cid is not None else None for cid in state.ids]
            if sum(k is not None for k in row_keys) != len(keys):  # never: the index holds exactly these claims
                log.warning("the index of %s does not hold the claims it was built from; no snapshot stored",
                            _named(key))
                return None
            return encode(Snapshot(state, row_keys))

        def save() -> None:
            try:
                db = open_database(self.store.path)
                try:
                    terms = TermsStore(db)
                    if reading.how == "snapshot":
                        terms.snapshot_used(key, fingerprint)
                    else:
                        # Taken first, while the index is most likely still as it was built: an
                        # edit since (re-indexing a claim) makes it another index than `keys` say.
                        blob = matcher.export(snapshot, generation)
                        if blob is None:
                            log.info("the index of %s changed before its snapshot was taken; the next start "
                                     "takes it", _named(key))
                        else:
                            terms.save_snapshot(key, fingerprint, blob)
                        del blob  # tens of megabytes at 100,000 claims: not kept while the entries are made
                    terms.save(fingerprint, entries())
                    if forget:
                        terms.forget_unused()
                finally:
                    db.close()
            except Exception:  # a cache: failing to keep it costs the next start time, nothing else
                log.warning("could not store the index for the next start", exc_info=True)

        saver = threading.Thread(target=save, name="crosscheck-terms", daemon=True)
        self._savers.append(saver)
        saver.start()

    def wait_saved(self) -> None:
        """Wait until the index entries being stored in the background are stored."""
        while self._savers:
            self._savers.pop().join()

    # --- following the change feed --------------------------------------------------------------

    def sync(self) -> list[ChangeRow]:
        """Apply every change since the last look; return them (oldest first), and tell the listeners."""
        with self.lock:
            latest = self.store.feed.latest()
            applied: list[ChangeRow] = []
            while latest > self._seen:
                changes = self.store.feed.since(self._seen)
                if not changes:
                    break
                for change in changes:
                    self._apply_change(change)
                    self._seen = change.seq
                    applied.append(change)
        if applied:
            for listener in list(self.listeners):
                listener(applied)
        return applied

    def _apply_change(self, change: ChangeRow) -> None:
        ws = change.workspace_id
        if change.scope in ("claim", "outlet", "article", *READ_WHOLE):
            if ws is None:
                return
            if ws not in self._with_rows:
                # The workspace's first row: its key now includes it. Engines keyed without it
                # stay right for their keys; if the one it saw until now is in memory, its own
                # (a clone with its rows) is made now rather than at its next check.
                before = self.key(ws)
                self._with_rows.add(ws)
                if before in self._engines:
                    self._engine_for(self.key(ws))
                return
            for key, engine in list(self._engines.items()):
                if ws not in key:
                    continue
                if change.scope in READ_WHOLE:
                    del self._engines[key]
                    continue
                stored = self.store.objects.get(key, change.scope, change.target_id or "")
                _apply(engine, change.scope, stored.id, stored.data, stored.body, stored.file)
        elif change.scope == "workspace":
            # Created, imported or re-parented: re-read the structure, drop what it touched.
            self._parents = self.store.workspaces.parents()
            self._with_rows = self.store.objects.workspaces_with_rows()
            for key in [k for k in self._engines if ws in k]:
                del self._engines[key]
        elif change.scope == "server" and change.target_id:
            self._servers.pop(change.target_id, None)


def _apply(engine: Engine, kind: str, object_id: str, data: dict | None, body: str | None, file: str | None) -> None:
    """Show an engine the current state of one object (None: it no longer exists)."""
    base = engine.base
    if kind == "claim":
        if data is None:
            engine.remove_claim(object_id)
        else:
            if file:
                base.claim_files[object_id] = file
            engine.update_claim(Claim.model_validate(data))
    elif kind == "outlet":
        engine.update_source(kind, object_id, Outlet.model_validate(data) if data is not None else None)
    elif kind == "article":
        engine.update_source(kind, object_id, Article.model_validate(data) if data is not None else None, body or "")
    else:
        raise ValueError(f"cannot apply a {kind} change in place")
