"""The deck model (blocks, slides, deck) and the theme: the typed values between reading and layout."""
