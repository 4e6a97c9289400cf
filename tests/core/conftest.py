import pytest
from django.http import HttpResponse

from core.cache import public_page


@pytest.fixture
def counted_view():
    """A ``public_page`` view that counts the times it was really called."""
    calls = []

    @public_page
    def view(request):
        calls.append(request.path)
        return HttpResponse(f"render {len(calls)}")

    view.calls = calls
    return view
