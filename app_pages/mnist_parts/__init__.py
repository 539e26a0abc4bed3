"""Parts of the MNIST page (app_pages/mnist.py): the live curves canvas, the challenge panel and
the data source chooser, each in its own module so the page itself stays a readable layout."""
