"""The synthetic IMR letter generator: realistic, reproducible letters for tests, the demo
and the benchmarks. Not part of the parser library (``ingest/``), which it feeds.

    synth.letters  generate_letters(n, seed): SyntheticLetter (text + what it should parse to)
    synth.vocab    the vocabulary it draws from (treatments, drugs, guidelines, reasons)
    synth.pdf      text_to_pdf: a letter as an encrypted PDF, like the ones DWC posts
"""
