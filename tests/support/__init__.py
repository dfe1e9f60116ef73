"""What more than one app's tests share: fixtures (registered as plugins by the root conftest.py) and helpers.

Factories stay in `<app>/tests/factories.py`; a test module never imports another test module.
"""
