from django.conf import settings
from django.db import models
from django.db.models import Q


class AuditEvent(models.Model):
    """One staff action: who did what to which object, when, with the before and after."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    actor_label = models.CharField(max_length=150, help_text="The actor's username, kept if the account goes.")
    action = models.CharField(max_length=100, db_index=True, help_text="Dotted code, e.g. wards.ward.updated.")
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(action=""), name="audit_action_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker proved it could run a task end to end."""

    hostname = models.CharField(max_length=255, unique=True)
    last_seen = models.DateTimeField()
    beats = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return self.hostname


class OutboundEmail(models.Model):
    """An email to send, written in the same transaction as the change that caused it.

    A periodic task sends pending rows, so a broker or mail outage delays email and never
    loses it. The unique key makes every email happen once (e.g. one monthly update to one
    subscriber), whatever retries or double runs occur.
    """

    class Status(models.TextChoices):
        # Held: to a resident's address not confirmed yet; released when it is (core.recipients).
        HELD = "held", "Held until the address is confirmed"
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    recipient_hash = models.CharField(
        max_length=64, blank=True, help_text="Of a held email: the keyed hash of its address, to release it by."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True, help_text="Never personal data.")
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="outbound_email_status_idx"),
            models.Index(fields=["recipient_hash"], condition=Q(status="held"), name="outbound_email_held_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="outbound_email_sent_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | ~Q(recipient_hash=""), name="outbound_email_held_has_recipient"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class EmailRecipient(models.Model):
    """A resident's address, known only by a keyed hash (core.recipients.recipient_hash): whether
    it was ever confirmed, and how many emails asked for from outside it was sent on ``day``.

    Every address typed into a public form gets at most PACT_EMAIL_ASKED_PER_DAY such emails a
    day, and one never confirmed gets nothing but a request to confirm it.
    """

    address_hash = models.CharField(max_length=64, unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    day = models.DateField(help_text="The day (UK time) that emails_on_day counts.")
    emails_on_day = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(address_hash=""), name="email_recipient_hash_not_blank")]

    def __str__(self) -> str:
        return self.address_hash[:12]


class SecondFactor(models.Model):
    """A staff user's authenticator app (TOTP, RFC 6238): the second factor every staff sign-in needs.

    A row exists only once its first code has confirmed it: the key of a set-up page lives in
    that page's session until then (core.two_factor), so nobody can copy a key before its
    owner enrols. The key is stored encrypted (core.encryption), never in clear.
    ``last_used_step`` is the 30-second step of the last code accepted: a code is accepted
    only for a later step (core.two_factor claims it with a conditional UPDATE), so no code
    works twice, however many requests race. The key is never shown after enrolment.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="second_factor")
    encrypted_key = models.CharField(max_length=255, help_text="The base32 TOTP key, encrypted (core.encryption).")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField()
    last_used_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "second factor"
        constraints = [
            # Every Fernet token starts with its version byte, 0x80: "gAAAAA" in base64. A key
            # in clear (base32, upper case) can never pass.
            models.CheckConstraint(condition=Q(encrypted_key__startswith="gAAAAA"), name="second_factor_key_encrypted"),
        ]

    def __str__(self) -> str:
        return f"Second factor of user {self.user_id}"


class EnrolmentLink(models.Model):
    """A single-use link an administrator gives a member of staff to set up their authenticator
    app: at their first sign-in, or after a reset. The password alone never shows a key.

    Only a hash of the link's token is kept; the link itself is shown once, to whoever issued
    it. Opening it (``used_at``) lets that one session set up an app until ``expires_at``;
    the app confirmed (``enrolled_at``) spends it. A newer link, or an administrator, revokes
    it (``revoked_at``). One user has at most one link not yet spent or revoked.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    enrolled_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "two-factor set-up link"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="enrolment_link_expires"),
            models.CheckConstraint(condition=~Q(token_hash=""), name="enrolment_link_token_not_blank"),
            models.CheckConstraint(
                condition=Q(enrolled_at__isnull=True) | Q(used_at__isnull=False), name="enrolment_link_used_first"
            ),
            models.CheckConstraint(
                condition=Q(enrolled_at__isnull=True) | Q(revoked_at__isnull=True),
                name="enrolment_link_spent_or_revoked",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(enrolled_at__isnull=True, revoked_at__isnull=True),
                name="enrolment_link_one_open_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"Set-up link {self.pk} for user {self.user_id}"


class BackupCode(models.Model):
    """One single-use backup code of a second factor, kept only as a hash."""

    second_factor = models.ForeignKey(SecondFactor, on_delete=models.CASCADE, related_name="backup_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["second_factor", "code_hash"], name="backup_code_unique_per_factor"),
        ]

    def __str__(self) -> str:
        return f"Backup code {self.pk}"


class SignInFailure(models.Model):
    """One failed sign-in attempt (a wrong password or a wrong second-factor code).

    Counted in the database, not the cache, so lockouts hold while Redis is down. The
    username and the address are kept only as keyed hashes: the failures of someone who
    typed their email address into the username box must not keep that address.
    """

    class Stage(models.TextChoices):
        PASSWORD = "password", "Password"
        CODE = "code", "Second-factor code"

    created_at = models.DateTimeField(auto_now_add=True)
    account_key = models.CharField(max_length=64)
    address_key = models.CharField(max_length=64)
    stage = models.CharField(max_length=10, choices=Stage.choices)

    class Meta:
        indexes = [
            models.Index(fields=["account_key", "created_at"], name="sign_in_failure_account_idx"),
            models.Index(fields=["address_key", "created_at"], name="sign_in_failure_address_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} failure at {self.created_at:%Y-%m-%d %H:%M}"


class SignInLockout(models.Model):
    """Sign-in refused for an account or an address until ``locked_until``, after too many failures.

    An administrator may clear it early (core.sign_in.sign_in_lockout_clear); a cleared lockout is kept.
    """

    class Kind(models.TextChoices):
        ACCOUNT = "account", "Account"
        ADDRESS = "address", "Address"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=64, help_text="Keyed hash of the username or the client address.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sign_in_lockouts",
        help_text="The account, when the username belongs to one.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    locked_until = models.DateTimeField()
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["key", "locked_until"], name="sign_in_lockout_key_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(locked_until__gt=models.F("created_at")), name="sign_in_lockout_ends"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} locked until {self.locked_until:%Y-%m-%d %H:%M}"
