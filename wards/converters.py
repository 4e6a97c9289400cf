"""The one rule for a ward's code in an address: an ONS GSS code of an English ward (E05 and six
digits), in either case, handed to views upper-cased. Any other path segment matches no URL."""

from django.urls import register_converter

# Stored codes, checked by the database too (wards.models.Ward's ward_code_is_gss).
WARD_CODE = r"^E05[0-9]{6}$"


class WardCodeConverter:
    regex = "[Ee]05[0-9]{6}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return str(value)


def register() -> None:
    register_converter(WardCodeConverter, "ward")
