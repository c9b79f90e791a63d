"""The keys that sign Open Badges: RSA keys in a folder of PEM files, never in the database or the repository.

- `BADGE_KEYS_DIR` (default `instance/badge-keys`) holds one key per file, `<name>.pem`. A private key signs; a
  public key alone (a retired key whose private half was destroyed) is only published, so that the badges it
  signed keep verifying. Every key of the folder is published (`/.well-known/jwks.json`), each under its name.
- `BADGE_CURRENT_KEY` names the key that signs. Unset, it is the last private key by name: `flask badge-keys new`
  names keys by their UTC creation time, so the newest one signs.
- Development and testing generate a key into an empty folder at first use; production never does: without a
  key, signed badges are unavailable and the pages say so (`flask badge-keys new` creates one).

Each process reads the folder once, and again when it changes (a key added, or retired) or the settings do: a new
key signs from the next request, without a restart.
"""

from __future__ import annotations

import fcntl
import os
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, current_app
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from repairlab.config import ConfigError

# RS256 is the algorithm every Open Badges 3.0 verifier supports; its keys are RSA, 2048 bits at the least.
ALGORITHM = "RS256"
MIN_BITS = 2048
NEW_KEY_BITS = 3072
SUFFIX = ".pem"
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_EXTENSION = "repairlab.badge_keys"
_lock = threading.Lock()


@dataclass(frozen=True)
class BadgeKey:
    """One key of the folder: its name (the file's, without .pem) and the key, private or public only."""

    name: str
    key: RSAKey

    @property
    def can_sign(self) -> bool:
        """Whether the private half is there."""
        return bool(self.key.is_private)

    @property
    def bits(self) -> int:
        """The size of the RSA modulus."""
        return int(self.key.raw_value.key_size)

    def public_jwk(self) -> dict[str, str]:
        """The public half as a JWK (modulus and exponent), never a private parameter."""
        data = self.key.as_dict(private=False)
        return {"kty": "RSA", "n": data["n"], "e": data["e"]}


@dataclass(frozen=True)
class KeyRing:
    """Every key of the folder, by name, and the one that signs (None: signed badges are unavailable)."""

    keys: tuple[BadgeKey, ...]
    current: BadgeKey | None
    folder: Path

    def get(self, name: str) -> BadgeKey | None:
        """The key of that name, or None."""
        return next((k for k in self.keys if k.name == name), None)


def keys_folder(app: Flask | None = None) -> Path:
    """The folder of the keys: BADGE_KEYS_DIR, or instance/badge-keys."""
    app = app or current_app
    configured = app.config.get("BADGE_KEYS_DIR")
    return Path(configured) if configured else Path(app.instance_path) / "badge-keys"


def keyring(app: Flask | None = None) -> KeyRing:
    """The keys, as the folder holds them now (a key is generated first in development and testing).

    A folder that changed into one that cannot be used (a broken file dropped in, the signing key retired by
    hand) is logged, and the keys read before stay in use until it is fixed: the public pages keep working.
    """
    app = app or current_app
    folder, current_name = keys_folder(app), app.config.get("BADGE_CURRENT_KEY") or None
    cached = app.extensions.get(_EXTENSION)
    if cached is not None and cached[0] == _state(folder, current_name):
        return cached[1]
    with _lock:
        if app.config["REPAIRLAB_ENV"] != "production":
            _generate_if_empty(folder)
        state = _state(folder, current_name)
        try:
            ring = load(folder, current_name)
        except ConfigError:
            if cached is None or cached[0][:2] != state[:2]:
                raise
            app.logger.exception("The badge keys changed and cannot be used; the keys read before stay in use.")
            ring = cached[1]
        app.extensions[_EXTENSION] = (state, ring)
        return ring


def _state(folder: Path, current_name: str | None) -> tuple:
    """What the keys read depend on: the settings, and the folder's last change (a key added or retired)."""
    try:
        changed = folder.stat().st_mtime_ns
    except FileNotFoundError:
        changed = None
    return (str(folder), current_name, changed)


def load(folder: Path, current_name: str | None = None) -> KeyRing:
    """Read the keys of a folder; a key that cannot be used, or a current key that cannot sign, is a ConfigError."""
    keys = tuple(_read(path) for path in _pem_files(folder))
    if current_name:
        current = next((k for k in keys if k.name == current_name), None)
        if current is None:
            raise ConfigError(f"BADGE_CURRENT_KEY is {current_name!r}, but {folder} has no {current_name}{SUFFIX}.")
        if not current.can_sign:
            raise ConfigError(
                f"BADGE_CURRENT_KEY is {current_name!r}, but {current_name}{SUFFIX} holds a public key only: "
                "it can no longer sign. Name a key that has its private half."
            )
    else:
        current = next((k for k in reversed(keys) if k.can_sign), None)
    return KeyRing(keys=keys, current=current, folder=folder)


def new_key(folder: Path, name: str | None = None, bits: int = NEW_KEY_BITS) -> BadgeKey:
    """Create a private key in the folder (readable by its owner only); named by the UTC time unless named."""
    name = name or datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    check_name(name)
    if bits < MIN_BITS:
        raise ConfigError(f"A badge key needs {MIN_BITS} bits at the least.")
    key = RSAKey.generate_key(bits, private=True)
    _write(folder / f"{name}{SUFFIX}", key.as_pem(private=True))
    return BadgeKey(name=name, key=key)


def retire(folder: Path, name: str) -> BadgeKey:
    """Keep only the public half of a key: it signs no more, and the badges it signed still verify."""
    path = folder / f"{check_name(name)}{SUFFIX}"
    if not path.is_file():
        raise ConfigError(f"{folder} has no {name}{SUFFIX}.")
    key = _read(path)
    public = RSAKey.import_key(key.key.as_pem(private=False))
    replacement = path.with_name(f".{path.name}.new")
    _write(replacement, public.as_pem(private=False), mode=0o644)
    os.replace(replacement, path)
    return BadgeKey(name=name, key=public)


def check_name(name: str) -> str:
    """A key's name: letters, digits, dot, dash, underscore (it appears in the key's public address)."""
    if not NAME.fullmatch(name or ""):
        raise ConfigError(
            f"{name!r} cannot name a badge key: use 1 to 64 letters, digits, dots, dashes or underscores."
        )
    return name


def _pem_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.suffix == SUFFIX and p.is_file()), key=lambda p: p.stem)


def _read(path: Path) -> BadgeKey:
    name = check_name(path.stem)
    try:
        key = RSAKey.import_key(path.read_bytes())
    except (ValueError, TypeError, JoseError) as error:
        raise ConfigError(f"{path} is not an RSA key in PEM format ({error}).") from error
    badge_key = BadgeKey(name=name, key=key)
    if badge_key.bits < MIN_BITS:
        raise ConfigError(f"{path} is a {badge_key.bits}-bit RSA key: badge keys need {MIN_BITS} bits at the least.")
    return badge_key


def _write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write a new file (never over an existing one), with its permissions set from the start."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _generate_if_empty(folder: Path) -> None:
    """Development and testing: a first key, created once even when several processes start at once."""
    if _pem_files(folder):
        return
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _pem_files(folder):
            new_key(folder)
