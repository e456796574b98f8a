"""What two or more writers share: images, QR codes, document metadata."""
