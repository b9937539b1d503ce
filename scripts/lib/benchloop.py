"""The timed-loop calibration the Samba bench scripts share."""


def measure(run, iterations=None, seconds=1.0, first=100):
    """Time `run(n)` (which runs n operations and returns the seconds they took).

    After a warm-up, without a fixed iteration count the count grows from `first` until one
    loop takes at least 0.1 s, then is scaled to last about `seconds`.
    """
    run(first if iterations is None else max(1, min(iterations // 10, 1000)))
    if iterations is None:
        n = first
        while True:
            t = run(n)
            if t >= 0.1:
                break
            n *= 4
        iterations = max(1, int(n * seconds / t))
    elapsed = run(iterations)
    return {
        "ops_per_sec": iterations / elapsed if elapsed > 0 else float("inf"),
        "iterations": iterations,
        "seconds": elapsed,
    }
