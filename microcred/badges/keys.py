"""Ed25519 keys: generation, Multikey/multibase encoding, and encryption at rest.

Public keys travel as `Multikey` values: multibase base58-btc (`z…`) of the multicodec
`ed25519-pub` (0xed 0x01) followed by the 32 key bytes. Private keys never leave the
database unencrypted: they are stored as Fernet tokens under a key from settings
(`SIGNING_KEY_SECRETS`; the first one encrypts, every one decrypts, so the secret can be
rotated), and they never appear in a public document, a log line or an error message.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from django.conf import settings

ED25519_PUB = b"\xed\x01"
ED25519_PRIV = b"\x80\x26"


class KeyFormatError(ValueError):
    """A key value that cannot be decoded; the message is safe to show."""


# ----------------------------------------------------------------------------- multibase


def multibase_encode(data: bytes) -> str:
    """Multibase base58-btc: 'z' + base58."""
    return "z" + base58.b58encode(data).decode("ascii")


def multibase_decode(value: str) -> bytes:
    if not isinstance(value, str) or not value.startswith("z") or len(value) < 2:
        raise KeyFormatError("Expected a multibase base58-btc value (starting with 'z').")
    try:
        return base58.b58decode(value[1:])
    except ValueError:
        raise KeyFormatError("The multibase value is not valid base58.") from None


def public_multikey(public: bytes) -> str:
    return multibase_encode(ED25519_PUB + public)


def decode_public_multikey(value: str) -> bytes:
    raw = multibase_decode(value)
    if raw[:2] != ED25519_PUB or len(raw) != 34:
        raise KeyFormatError("The key is not an Ed25519 public key (multicodec ed25519-pub).")
    return raw[2:]


def private_multikey(private: bytes) -> str:
    return multibase_encode(ED25519_PRIV + private)


def decode_private_multikey(value: str) -> bytes:
    raw = multibase_decode(value)
    if raw[:2] != ED25519_PRIV or len(raw) != 34:
        raise KeyFormatError("The key is not an Ed25519 private key (multicodec ed25519-priv).")
    return raw[2:]


# ----------------------------------------------------------------------------- keys


@dataclass(frozen=True, slots=True)
class KeyPair:
    private: bytes  # 32-byte seed
    public: bytes  # 32 bytes

    @classmethod
    def generate(cls) -> KeyPair:
        key = Ed25519PrivateKey.generate()
        return cls.from_private(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))

    @classmethod
    def from_private(cls, private: bytes) -> KeyPair:
        key = Ed25519PrivateKey.from_private_bytes(private)
        return cls(private, key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))

    def sign(self, data: bytes) -> bytes:
        return _signer(self.private).sign(data)

    def __repr__(self) -> str:  # never print the private half
        return f"KeyPair(public={public_multikey(self.public)})"


_SIGNERS: dict[bytes, Ed25519PrivateKey] = {}


def _signer(private: bytes) -> Ed25519PrivateKey:
    # Loading a key costs more than a signature; a worker signs with few keys.
    signer = _SIGNERS.get(private)
    if signer is None:
        if len(_SIGNERS) > 64:
            _SIGNERS.clear()
        signer = _SIGNERS[private] = Ed25519PrivateKey.from_private_bytes(private)
    return signer


def verify_signature(public: bytes, signature: bytes, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


# ----------------------------------------------------------------------------- at rest


def _fernet() -> MultiFernet:
    secrets = list(getattr(settings, "SIGNING_KEY_SECRETS", []) or [])
    if not secrets:
        secrets = [_derived_secret()]
    return MultiFernet([Fernet(_fernet_key(secret)) for secret in secrets])


def _fernet_key(secret: str) -> bytes:
    """A Fernet key from any secret string: used as is when it already is one."""
    try:
        if len(base64.urlsafe_b64decode(secret.encode())) == 32:
            return secret.encode()
    except ValueError:
        pass
    digest = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"microcred-signing-keys", info=b"fernet"
    ).derive(secret.encode())
    return base64.urlsafe_b64encode(digest)


def _derived_secret() -> str:
    # Development default: derived from SECRET_KEY (a system check warns in production).
    return "derived:" + settings.SECRET_KEY


def encrypt_private_key(private: bytes) -> str:
    return _fernet().encrypt(private).decode("ascii")


def decrypt_private_key(token: str) -> bytes:
    try:
        return _fernet().decrypt(token.encode("ascii"))
    except InvalidToken:
        raise KeyFormatError(
            "A signing key cannot be decrypted: SIGNING_KEY_SECRETS does not hold the "
            "secret it was encrypted with."
        ) from None
