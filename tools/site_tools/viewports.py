"""The two windows the built site is checked in, by the site tests: a desktop's and a phone's.

>>> DESKTOP["width"], PHONE["width"]
(1440, 390)
"""

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
