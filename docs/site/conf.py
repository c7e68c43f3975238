# Sphinx configuration of the collection's documentation site, built by `make docs`.
# Started from `antsibull-docs sphinx-init`; changed so the build works offline.

project = "aws_search.cross_cluster"
copyright = "aws_search.cross_cluster contributors"
title = "aws_search.cross_cluster"
html_short_title = "aws_search.cross_cluster"

extensions = ["sphinx.ext.autodoc", "sphinx.ext.intersphinx", "sphinx_antsibull_ext"]

pygments_style = "ansible"
highlight_language = "YAML+Jinja"

html_theme = "sphinx_ansible_theme"
html_show_sphinx = False
display_version = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False

# No inventories are fetched: the build runs offline. References to ansible-core's own labels
# (the generated pages link to its guides and, for inventory plugins, its environment variables) cannot resolve
# without them, so those warnings are off.
intersphinx_mapping = {}
suppress_warnings = ["ref.ref", "ref.envvar"]

default_role = "any"
nitpicky = True

# antsibull-docs titles the collection's page with str.title() ("Aws_Search.Cross_Cluster"), and the breadcrumbs and
# the browser's title follow it: give the page the collection's real name.
COLLECTION_TITLE = "aws_search.cross_cluster: cross-cluster search connections"
html_title = COLLECTION_TITLE


def _retitle(app, docname, source):
    generated = "Aws_Search.Cross_Cluster\n" + "=" * len("Aws_Search.Cross_Cluster") + "\n"
    source[0] = source[0].replace(generated, f"{COLLECTION_TITLE}\n{'=' * len(COLLECTION_TITLE)}\n")


def setup(app):
    app.connect("source-read", _retitle)
