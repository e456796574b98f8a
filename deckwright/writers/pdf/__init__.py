"""The PDF writer (fpdf2): slides and the handout."""
