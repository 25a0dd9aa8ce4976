"""Plain words for the domain's codes, shared by the screens and the printed reports (Qt tr())."""
