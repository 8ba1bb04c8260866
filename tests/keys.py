"""The key tests seal secrets with (GCMAP_SECRET_KEY): a test key, never a real one."""

from __future__ import annotations

from gcmap.storage.secretbox import SecretBox

TEST_SECRET_KEY = "D8n7Z0H4HtjKkuIwRoUcQmjJwcul-PAN667dDEZ5zLI="


def sealing_box() -> SecretBox:
    """A box over the test key."""
    box = SecretBox.from_setting(TEST_SECRET_KEY)
    assert box is not None
    return box
