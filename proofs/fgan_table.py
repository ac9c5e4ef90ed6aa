"""The f-GAN table: conjugates computed from the generators (seed 003; Nowozin et al. 2016).

Run: python proofs/fgan_table.py
"""

import sys

from gantheory.formulas import fgan_table
from gantheory.report._proof import run_topic

steps = [(f"{row['name']}: f(u) = {row['f']}  ->  f*(t) = {row['conjugate']},  t in {row['domain']}",
          lambda row=row: row["conjugate"]) for row in fgan_table()]
sys.exit(run_topic(["fgan"], "The f-GAN table, entry by entry", steps))
