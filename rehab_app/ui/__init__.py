"""Every widget, view and dialog. Talks to services only, never to the database."""
