"""The sharing feature's web views: links, people, public pages."""
