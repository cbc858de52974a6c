"""The memory a worker or the merge reports is its own, not that of the build that started it."""
import subprocess
import sys

import pytest


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="VmHWM is Linux's")
def test_a_process_started_by_a_large_one_reports_its_own_peak():
    held = bytearray(400 * 1024 * 1024)
    for position in range(0, len(held), 4096):  # touched: resident
        held[position] = 1
    done = subprocess.run([sys.executable, "-c", "from miena_book.export.weasy import peak_memory_mb; "
                           "print(peak_memory_mb())"], capture_output=True, text=True, check=True)
    # ru_maxrss would say 400 MB and more: the kernel keeps the starting process's size
    assert 0 < int(done.stdout) < 200
    del held
