"""The f-GAN table: conjugates computed from the generators (seed 003; Nowozin et al. 2016).

Run: python proofs/fgan_table.py
"""

import sys

from gantheory.formulas import fgan_table
from gantheory.report._math import math_text
from gantheory.report._proof import run_topic

steps = [(f"{row['name_unicode']}: f(u) = {math_text(row['f'])}  ->  f*(t) = {math_text(row['conjugate'])},"
          f"  t in {math_text(row['domain'])}",
          lambda row=row: row["conjugate"]) for row in fgan_table()]
sys.exit(run_topic(["fgan"], "The f-GAN table, entry by entry", steps))
