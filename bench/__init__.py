"""Benchmarks of the generated SDK and the generator against their peers (``task bench``).

``python -m bench`` runs them all side by side; ``python -m bench import|call|stream|generator``
runs some. Timings are reported, never asserted: this machine is shared and noisy.
"""
