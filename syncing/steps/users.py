"""users.json / sync_users (SYNC-USR-1..8).

Passwords are either a Django hash, stored as given, or plaintext, hashed before it is stored. A
plaintext value never leaves this module: errors and the report name the field, never its value.

Issue 16.5 replaces SYNC-USR-3's low-cost bulk hasher: a low-cost hash let anyone time which emails
exist, so sync never stores a hash weaker than Django's default. Plaintext is hashed with the default
hasher (in threads: PBKDF2 releases the GIL, so the cores share the cost); a plaintext password that
matches a weaker stored hash (one the bulk hasher wrote) is re-hashed at the default cost; a given
hash weaker than the default is refused.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.hashers import (
    check_password,
    get_hasher,
    identify_hasher,
    is_password_usable,
    make_password,
)

from catalog.archived_access import close_access
from catalog.auth import is_weaker_than_default
from catalog.models import Assignment, Project, User
from catalog.roles import RoleError, check_user_type_change, ensure_global_admin_rows
from catalog.set_rules import user_email_problem, user_password_problem
from catalog.validation import email_problem
from syncing import password_memo
from syncing.errors import quote
from syncing.parallel import InBackground, in_threads
from syncing.records import MISSING, Duplicates, Record
from syncing.steps.base import WRITE_BATCH, BaseStep, chunks, load_by

KEYS = ("user_id", "email", "password", "user_type", "is_active")
USER_TYPES = tuple(User.UserType.values)  # human, admin, model
HUMAN, ADMIN, MODEL = User.UserType.HUMAN, User.UserType.ADMIN, User.UserType.MODEL
# Hashers cheaper than a salted, iterated one: a given hash of these is refused unless it is the default's.
PASSWORD_MAX = 128  # the password column
WRITE_FIELDS = [
    "user_id",
    "email",
    "password",
    "sync_password_memo",
    "user_type",
    "is_active",
    "is_staff",
    "is_superuser",
    "updated_at",
]


@dataclass
class UserRecord:
    rec: Record
    user_id: str
    email: str | None  # normalised: stripped and lowercased; None for model users
    password: str | None  # as given; "" or None for model users
    is_hash: bool
    user_type: str
    is_active: bool
    user: User | None = None  # the existing user it matches (SYNC-USR-4)
    by_email: bool = False
    matches_stored: bool | None = None  # plaintext only: does it match the matched user's stored hash?

    @property
    def index(self) -> int:
        return self.rec.entry.index


def _where(first: UserRecord, rec: Record) -> str:
    if first.rec.entry.source == rec.entry.source:
        return f"the record at index {first.index}"
    return f"the record at {first.rec.entry.source}[{first.index}]"


@dataclass
class _Plan:
    """What forward() writes, gathered record by record."""

    creates: list[User] = field(default_factory=list)
    updates: list[User] = field(default_factory=list)
    email_moves: list[User] = field(default_factory=list)
    to_hash: list[tuple[User, str]] = field(default_factory=list)
    promoted: list[User] = field(default_factory=list)
    demoted: list[User] = field(default_factory=list)
    unarchived_admins: list[User] = field(default_factory=list)
    to_archive: list[User] = field(default_factory=list)


def _move_emails(users: list[User]) -> None:
    """Two phases, so swaps and chains never trip the unique constraint mid-statement."""
    if not users:
        return
    final = {u.pk: u.email for u in users}
    for u in users:
        u.email = f"moving-{u.pk}@sync.invalid"
    User.objects.bulk_update(users, ["email"], batch_size=WRITE_BATCH)
    for u in users:
        u.email = final[u.pk]


class Step(BaseStep):
    kind = "users"
    table = "users"
    to_archive: list[User] | tuple = ()  # filled by forward() once its writes went through

    # -- parsing: shape, types, per-type rules, in-batch duplicates (SYNC-USR-1/2/3, SYNC-USR-5)
    def parse(self) -> list[UserRecord]:
        ids, emails = Duplicates("user_id"), Duplicates("email")
        plaintext: Counter[str] = Counter()
        parsed = []
        for entry in self.entries:
            rec = self.record(entry)
            if not isinstance(entry.data, dict):
                continue
            user_id = rec.string("user_id", natural_key=True, max_length=128)
            if user_id is not MISSING:
                rec.key = user_id  # known first, so every error of the record names it (SYNC-ERR-2)
            rec.keys(KEYS)
            user_type = rec.string("user_type")
            if user_type is not MISSING and user_type not in USER_TYPES:
                rec.error(".user_type", f"{quote(user_type)} is not a user type ({', '.join(USER_TYPES)})")
                user_type = MISSING
            email = rec.string("email", nullable=True)
            if isinstance(email, str) and user_type != MODEL:
                email = email.strip().lower()
                if problem := email_problem(email):
                    rec.error(".email", problem)
                    email = MISSING
            password = rec.string("password", nullable=True)
            is_active = rec.boolean("is_active")
            is_hash = False
            if user_type in (HUMAN, ADMIN):
                if email is None:
                    rec.error(".email", user_email_problem(user_type, False))
                if password is None or password == "":
                    rec.error(".password", user_password_problem(user_type, False))
                elif password is not MISSING:
                    is_hash = self._is_hash(rec, password)
                    if not is_hash:
                        plaintext[entry.source] += 1
            elif user_type == MODEL:
                if isinstance(email, str):
                    rec.error(".email", f"{user_email_problem(MODEL, True)}; use null")
                    email = MISSING
                if password not in ("", None, MISSING):
                    rec.error(".password", f'{user_password_problem(MODEL, True)}; use "" or null')
            if user_id is not MISSING:
                ids.check(rec, user_id, ".user_id")
            if isinstance(email, str):
                emails.check(rec, email, ".email", quote(email))
            if rec.ok:
                parsed.append(UserRecord(rec, user_id, email, password, is_hash, user_type, is_active))
        for source, n in plaintext.items():
            self.report.warnings.append(
                f"{source}: {n} plaintext password{'s' if n != 1 else ''}; "
                "consider replacing them with hashes (export_workspace writes hashes)"
            )
        return parsed

    @staticmethod
    def _is_hash(rec: Record, password: str) -> bool:
        """SYNC-USR-3: a value the configured hashers identify is a hash; anything else is plaintext."""
        try:
            hasher = identify_hasher(password)
        except ValueError:
            return False
        try:
            hasher.decode(password)
        except Exception:
            # Stored as given, a truncated hash would lock the user out without a word.
            rec.error(
                ".password",
                f"looks like a {hasher.algorithm} password hash but is incomplete; "
                "give the whole hash or a plaintext password",
            )
            return False
        if len(password) > PASSWORD_MAX:
            rec.error(".password", f"password hash is {len(password)} characters long; at most {PASSWORD_MAX} allowed")
        return True

    @staticmethod
    def _weak_hash_problem(password: str) -> str | None:
        """Why a given hash may not be stored: weaker than the default hasher (issue 16.5), else None."""
        if not is_weaker_than_default(password):
            return None
        algorithm, default = identify_hasher(password).algorithm, get_hasher("default").algorithm
        return (
            f"is a {algorithm} hash, weaker than the default hasher ({default} at its current "
            "cost); give the plaintext password (sync hashes it) or a hash at least that strong"
        )

    # -- matching and final-state checks (SYNC-USR-4/5)
    def match(self, records: list[UserRecord]) -> dict[str, User]:
        """Attach each record to the existing user it matches; return the current owner of each record email."""
        by_id = load_by(User.objects.all(), "user_id", [r.user_id for r in records])
        by_email = load_by(User.objects.all(), "email", [r.email for r in records if r.email])
        # One instance per user, whichever query found it, so every change lands on the same object.
        users = {u.pk: u for u in [*by_id.values(), *by_email.values()]}
        by_id = {k: users[u.pk] for k, u in by_id.items()}
        by_email = {k: users[u.pk] for k, u in by_email.items()}
        claimed: dict[int, UserRecord] = {}
        for r in records:
            user, by_mail = by_id.get(r.user_id), False
            if user is None and r.email is not None:
                user, by_mail = by_email.get(r.email), True
            if user is None:
                continue
            first = claimed.get(user.pk)
            if first is not None:
                if by_mail:
                    r.rec.error(
                        ".email",
                        f"email {quote(r.email)} belongs to user {quote(user.user_id)}, which "
                        f"{_where(first, r.rec)} already matches; two records cannot match the same user",
                    )
                else:
                    how = " by email" if first.by_email else ""
                    r.rec.error(
                        ".user_id",
                        f"user {quote(user.user_id)} is already matched{how} by {_where(first, r.rec)}; "
                        "two records cannot match the same user",
                    )
                continue
            claimed[user.pk] = r
            r.user, r.by_email = user, by_mail
        return by_email

    def check_emails(self, records: list[UserRecord], owners: dict[str, User]) -> None:
        """An email may not belong to another user who keeps it in the final state; swaps are fine."""
        while True:
            takers = {r.user.pk: r for r in records if r.rec.ok and r.user is not None}
            failed = False
            for r in records:
                if not r.rec.ok or r.email is None:
                    continue
                owner = owners.get(r.email)
                if owner is None or (r.user is not None and owner.pk == r.user.pk):
                    continue
                taker = takers.get(owner.pk)
                if taker is not None and taker.email != r.email:
                    continue  # the owner moves to another email in this batch
                r.rec.error(".email", f"email {quote(r.email)} is already used by user {quote(owner.user_id)}")
                failed = True
            # A record that failed counts as absent, so its user keeps its email: check again.
            if not failed:
                return

    # -- the passes
    def forward(self) -> None:
        records = self._checked_records()
        plan = _Plan()
        for r in records:
            if r.rec.ok:
                self.intend(r.user_id, r.is_active)
                if r.user is None:
                    self._plan_create(r, plan)
                else:
                    self._plan_update(r, plan)
        self._hash_passwords(plan.to_hash)
        # Valid records are written even when other records failed: later tables then see the
        # creation-time state, and the run's single transaction is rolled back anyway.
        self._write(plan)
        # Set only once the writes went through: after a refused write there is nothing to archive.
        self.to_archive = plan.to_archive

    def _checked_records(self) -> list[UserRecord]:
        """The parsed records, matched to existing users, with every cross-record problem recorded."""
        records = self.parse()
        owners = self.match(records)
        for r in records:
            if r.rec.ok and r.user is not None and r.user.user_type != r.user_type:
                try:
                    check_user_type_change(r.user, r.user.user_type, r.user_type)
                except RoleError as exc:
                    r.rec.error(".user_type", str(exc))
        self.check_emails(records, owners)
        self._check_plaintext([r for r in records if r.rec.ok and r.user is not None and not r.is_hash])
        return records

    def _plan_create(self, r: UserRecord, plan: _Plan) -> None:
        stored = self._password_to_store(r)
        user = User(
            user_id=r.user_id,
            email=r.email,
            user_type=r.user_type,
            password=stored or "",
            is_active=True,
        )
        if stored is None:
            plan.to_hash.append((user, r.password))
        user.sync_staff_flags()
        plan.creates.append(user)
        if not r.is_active:
            plan.to_archive.append(user)
        self.result("created", r.user_id, note="" if r.is_active else "(archived)")

    def _plan_update(self, r: UserRecord, plan: _Plan) -> None:
        user = r.user
        fields = []
        if user.user_id != r.user_id:
            fields.append(f"user_id: {quote(user.user_id)} -> {quote(r.user_id)}")
            user.user_id = r.user_id
        if r.user_type != MODEL and user.email != r.email:
            fields.append("email")
            plan.email_moves.append(user)
            user.email = r.email
        self._plan_password(r, user, plan, fields)
        if user.user_type != r.user_type:
            fields.append("user_type")
            (plan.promoted if r.user_type == ADMIN else plan.demoted).append(user)
            user.user_type = r.user_type
        action = "updated" if fields else "unchanged"
        changed = bool(fields)
        if r.is_active and not user.is_active:
            action, user.is_active, changed = "unarchived", True, True
            if user.user_type == ADMIN:
                plan.unarchived_admins.append(user)
        elif not r.is_active and user.is_active:
            action = "archived"
            plan.to_archive.append(user)
        if changed:
            plan.updates.append(user)
        self.result(action, r.user_id, fields)

    def _plan_password(self, r: UserRecord, user: User, plan: _Plan, fields: list[str]) -> None:
        """A changed password is stored (plaintext: hashed); a matching one held in a weaker hash is re-hashed."""
        rehash = False
        if not self._password_matches(r, user.password):
            fields.append("password")
            stored = self._password_to_store(r)
            user.password, rehash = stored or "", stored is None
        elif not r.is_hash and r.user_type != MODEL and is_weaker_than_default(user.password):
            fields.append("password: re-hashed at the default cost")
            rehash = True
        if rehash:
            plan.to_hash.append((user, r.password))

    def _hash_passwords(self, to_hash: list[tuple[User, str]]) -> None:
        if to_hash and not self.report.dry_run:
            # Hashed on every core while the later tables are planned and written; the hashes are stored
            # before the commit (Run.before_commit), so no transaction ever sees a user without its hash.
            # Until then the rows hold an unusable password. A dry run writes nothing, so hashes nothing.
            hashing = InBackground(make_password, [p for _, p in to_hash])
            self.run.abandon.append(hashing.cancel)
            self.run.before_commit.append(lambda: self._store_hashes(to_hash, hashing))
        for user, _ in to_hash:
            user.password, user.sync_password_memo = make_password(None), ""

    def _write(self, plan: _Plan) -> None:
        _move_emails(plan.email_moves)
        for u in plan.updates:
            u.sync_staff_flags()  # bulk writes bypass User.save(); a CHECK constraint holds us to it (DB-11)
            u.updated_at = self.run.now
        User.objects.bulk_update(plan.updates, WRITE_FIELDS, batch_size=WRITE_BATCH)
        # A match found the slow way is remembered, so the next unchanged sync skips the hasher for this user.
        updated = {u.pk for u in plan.updates}
        memo_only = [u for u in self.remembered if u.pk not in updated]
        User.objects.bulk_update(memo_only, ["sync_password_memo"], batch_size=WRITE_BATCH)
        User.objects.bulk_create(plan.creates, batch_size=WRITE_BATCH)
        self._demote(plan.demoted)
        # DM-ROLE-5/6: created admins, promotions and unarchived admins hold admin rows everywhere.
        admins = [u for u in [*plan.creates, *plan.promoted, *plan.unarchived_admins] if u.is_global_admin]
        if admins and ensure_global_admin_rows(users=admins):
            self.run.touched_projects.update(Project.objects.order_by().values_list("pk", flat=True))

    def archive(self) -> None:
        if not self.to_archive:
            return
        for u in self.to_archive:
            u.is_active = False
            u.sync_staff_flags()
            u.updated_at = self.run.now
        User.objects.bulk_update(
            self.to_archive, ["is_active", "is_staff", "is_superuser", "updated_at"], batch_size=WRITE_BATCH
        )
        close_access([u.pk for u in self.to_archive if u.pk is not None])  # issue 16.6: sessions and tokens end

    @staticmethod
    def _store_hashes(to_hash: list[tuple[User, str]], hashing: InBackground) -> None:
        users = []
        for (user, plaintext), hashed in zip(to_hash, hashing.results(), strict=True):
            user.password, user.sync_password_memo = hashed, password_memo.memo(hashed, plaintext)
            users.append(user)
        User.objects.bulk_update(users, ["password", "sync_password_memo"], batch_size=WRITE_BATCH)

    # -- helpers
    def _password_to_store(self, r: UserRecord) -> str | None:
        """The value to store, or None for plaintext, which forward() hashes for all users in one parallel pass."""
        if r.user_type == MODEL:
            return make_password(None)  # unusable (DM-USR-2)
        if r.is_hash:
            if problem := self._weak_hash_problem(r.password):
                r.rec.error(".password", problem)
            return r.password
        return None

    def _check_plaintext(self, records: list[UserRecord]) -> None:
        """Does each plaintext record match its existing user's stored hash? A memo from an earlier sync answers
        at once (syncing/password_memo.py); the rest run check_password in parallel (each costs a default hash),
        and a match is remembered for the next sync."""
        todo = []
        for r in records:
            if r.user_type == MODEL:
                continue
            if password_memo.remembers(r.user.sync_password_memo, r.user.password, r.password):
                r.matches_stored = True
            else:
                todo.append(r)
        results = in_threads(lambda r: check_password(r.password, r.user.password, setter=None), todo)
        remembered = []
        for r, matches in zip(todo, results, strict=True):
            r.matches_stored = matches
            if matches:
                r.user.sync_password_memo = password_memo.memo(r.user.password, r.password)
                remembered.append(r.user)
        self.remembered = remembered

    @staticmethod
    def _password_matches(r: UserRecord, stored: str) -> bool:
        """SYNC-USR-7: hashes by string equality, plaintext by check_password (done in _check_plaintext)."""
        if r.user_type == MODEL:
            return not is_password_usable(stored)
        if r.is_hash:
            return r.password == stored
        return bool(r.matches_stored)

    def _demote(self, users: list[User]) -> None:
        """DM-ROLE-7: demotion admin→human archives every role row of the user, in bulk."""
        for batch in chunks([u.pk for u in users]):
            rows = Assignment.objects.active().filter(user_id__in=batch)
            self.run.touched_projects.update(rows.order_by().values_list("project_id", flat=True).distinct())
            rows.update(is_active=False)
