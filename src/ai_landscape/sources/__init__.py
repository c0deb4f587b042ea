"""One subpackage per source (fetch, parse and constants apart); `registry` lists them."""
