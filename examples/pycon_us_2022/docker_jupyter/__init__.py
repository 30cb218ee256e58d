"""Dock your Jupyter Notebook (Nir Barazida): a notebook, its pins and its Dockerfile."""
