"""Secrets at rest: AES-256-GCM under keys from ``GCMAP_SECRET_KEY``.

``GCMAP_SECRET_KEY`` holds one or more keys, comma-separated, each 32 random bytes in
URL-safe base64 (``gcmap secrets new-key`` prints one). The first key seals; every key opens,
so rotating is: put the new key first, keep the old one after it, run ``gcmap secrets
reseal``, then drop the old key. A sealed value names the key that sealed it
(``enc:v1:<key id>:<nonce+ciphertext>``) and is bound to what it belongs to (the AAD, e.g.
``webhook:<id>``), so a sealed secret copied onto another row does not open.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ["PREFIX", "SecretBox", "SecretKeyError", "SecretKeyMissing", "new_key", "open_stored",
           "seal_for_storage"]

PREFIX = "enc:v1:"
HOW_TO_SET = ("set GCMAP_SECRET_KEY to a key from 'gcmap secrets new-key' (keep it safe: "
              "without it stored secrets cannot be read)")


class SecretKeyMissing(Exception):
    """A secret must be stored but no key is configured."""

    def __init__(self) -> None:
        super().__init__(f"no key to encrypt secrets at rest: {HOW_TO_SET}")


class SecretKeyError(ValueError):
    """A key is malformed, or a sealed value opens with none of the keys."""


def new_key() -> str:
    """A fresh key in the ``GCMAP_SECRET_KEY`` format."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _key_id(key: bytes) -> str:
    return hashlib.sha256(b"gcmap-secret-key:" + key).hexdigest()[:8]


class SecretBox:
    """Seals with the first key, opens with any."""

    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise SecretKeyMissing()
        for k in keys:
            if len(k) != 32:
                raise SecretKeyError("each GCMAP_SECRET_KEY key must be 32 bytes of URL-safe "
                                     "base64; make one with 'gcmap secrets new-key'")
        self._keys = {_key_id(k): AESGCM(k) for k in keys}
        self.current = _key_id(keys[0])

    @classmethod
    def from_setting(cls, value: str) -> SecretBox | None:
        """The box for a ``GCMAP_SECRET_KEY`` value; None when it is empty.

        Raises:
            SecretKeyError: a key that is not 32 bytes of URL-safe base64.
        """
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if not parts:
            return None
        keys = []
        for p in parts:
            try:
                keys.append(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
            except (ValueError, TypeError) as exc:
                raise SecretKeyError("GCMAP_SECRET_KEY is not URL-safe base64; make a key "
                                     "with 'gcmap secrets new-key'") from exc
        return cls(keys)

    def seal(self, plaintext: str, context: str) -> str:
        """Encrypt ``plaintext`` for ``context`` under the current key."""
        nonce = os.urandom(12)
        blob = self._keys[self.current].encrypt(nonce, plaintext.encode(), context.encode())
        return f"{PREFIX}{self.current}:{base64.urlsafe_b64encode(nonce + blob).decode()}"

    def open(self, sealed: str, context: str) -> str:
        """Decrypt a sealed value.

        Raises:
            SecretKeyError: it was sealed under a key that is not configured, for another
                context, or it was altered.
        """
        if not sealed.startswith(PREFIX):
            raise SecretKeyError("a stored secret is not encrypted; run 'gcmap secrets reseal'")
        key_id, _, data = sealed[len(PREFIX):].partition(":")
        aead = self._keys.get(key_id)
        if aead is None:
            raise SecretKeyError(f"a stored secret was sealed with key {key_id}, which "
                                 "GCMAP_SECRET_KEY does not hold; add that key after the "
                                 "current one")
        raw = base64.urlsafe_b64decode(data)
        try:
            return aead.decrypt(raw[:12], raw[12:], context.encode()).decode()
        except InvalidTag as exc:
            raise SecretKeyError(f"a stored secret for {context} does not decrypt (altered, "
                                 "or sealed for another row)") from exc

    def seal_bytes(self, data: bytes, context: str) -> bytes:
        """Encrypt a blob (an org document) for ``context`` under the current key."""
        nonce = os.urandom(12)
        head = f"{PREFIX}{self.current}:".encode()
        return head + nonce + self._keys[self.current].encrypt(nonce, data, context.encode())

    def open_bytes(self, sealed: bytes, context: str) -> bytes:
        """Decrypt a blob from ``seal_bytes``.

        Raises:
            SecretKeyError: as ``open``.
        """
        head, _, rest = sealed.partition(b":")  # "enc"
        version, _, rest = rest.partition(b":")
        key_id, _, raw = rest.partition(b":")
        aead = self._keys.get(key_id.decode(errors="replace"))
        if head + b":" + version + b":" != PREFIX.encode() or aead is None:
            raise SecretKeyError("a stored org document was sealed with a key "
                                 "GCMAP_SECRET_KEY does not hold")
        try:
            return aead.decrypt(raw[:12], raw[12:], context.encode())
        except InvalidTag as exc:
            raise SecretKeyError(f"a stored org document for {context} does not decrypt") \
                from exc

    def is_current(self, sealed: str) -> bool:
        """Sealed under the current key (nothing to reseal)."""
        return sealed.startswith(f"{PREFIX}{self.current}:")


def seal_for_storage(box: SecretBox | None, plaintext: str, context: str) -> str:
    """What a store writes for a secret.

    Raises:
        SecretKeyMissing: no key is configured; nothing is stored in clear.
    """
    if box is None:
        raise SecretKeyMissing()
    return box.seal(plaintext, context)


def open_stored(box: SecretBox | None, stored: str, context: str) -> str:
    """A stored secret in clear. A value written before encryption existed (no prefix) is
    read as it is; ``gcmap secrets reseal`` (and every start with a key) seals it."""
    if not stored.startswith(PREFIX):
        return stored
    if box is None:
        raise SecretKeyMissing()
    return box.open(stored, context)
