"""Math for the writers: TeX's MathML turned into what each output draws (Office Math for PPTX)."""
