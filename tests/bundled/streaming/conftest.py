from tests.bundled.sdk.conftest import any_client

__all__ = ["any_client"]
