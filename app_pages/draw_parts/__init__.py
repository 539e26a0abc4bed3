"""Parts of the Draw page (app_pages/draw.py): teaching the network the student's own digits."""
