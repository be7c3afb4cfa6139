"""Abbreviations and ordinals a period does not end, for :mod:`bot.text.sentences`."""

from __future__ import annotations

from bot.text.scripts import word_set

# Abbreviations a period never ends (casefolded, without their final period). A few languages
# each; the union serves every text, since names and quotes cross language borders.
NEVER_FINAL = word_set(
    "mr mrs ms dr prof st jr sr rev gen col lt sgt capt gov sen hon messrs vs viz cf approx dept",
    "hr hrn fr frl dipl ing bzw bspw ca evtl ggf inkl sog vgl zzgl mio mrd tsd nr",  # de
    "mme mlle mgr ste av apr env",  # fr
    "sra srta sres dra dña lic arq avda pág núm ud uds",  # es
    "sig sigg dott avv geom",  # it
    "exmo",  # pt
    "г-н г-жа проф акад им ул напр",  # ru
    "डॉ प्रो",  # hi
    "tp ths ts pgs gs bs",  # vi
)
# Abbreviations that only end a sentence when no number follows: "No. 5", "pp. 12", "Jan. 3".
BEFORE_NUMBER = word_set(
    "no nos núm num art abs pp vol fig tab ch chap sec par pag str tel jan feb mar apr jun jul "
    "aug sep sept oct okt nov dec dez janv févr avr juil déc ene abr ago dic"
)
# Dotted abbreviations that often end sentences: "и т. д." (etc.), "at 5 p.m."
FINAL_PAIRS = frozenset({"т. д", "т. п", "т.д", "т.п", "a.m", "p.m"})
# German ordinals: "am 3. Oktober", "im 19. Jahrhundert", "der 2. Platz".
DE_MONTHS = word_set(
    "januar jänner februar märz april mai juni juli august september oktober november dezember"
)
DE_ORDINAL_CUES = word_set("am im vom zum zur beim der die das den dem des seit ab bis")
