"""One subpackage per source (fetch, parse and constants apart); `catalog` lists them."""
