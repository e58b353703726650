"""The browser harness itself: the system Chromium runs, and axe_check fails a page with a serious violation."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_check

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def test_axe_check_fails_a_control_without_a_label(page):
    await page.set_content('<!DOCTYPE html><html lang="en"><head><title>t</title></head>'
                           '<body><main><input type="text"></main></body></html>')
    with pytest.raises(AssertionError, match="label"):
        await axe_check(page)


async def test_axe_check_passes_a_labelled_control(page):
    await page.set_content('<!DOCTYPE html><html lang="en"><head><title>t</title></head>'
                           '<body><main><label>Name <input type="text"></label></main></body></html>')
    await axe_check(page)
