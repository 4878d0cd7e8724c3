"""Content credentials: a signed C2PA manifest on every stored image, and what it says when read back.

`signer.ContentSigner` signs a PNG and reads the result back; `config` turns the BAG_C2PA_* settings into
signing material (or says why it cannot); `testchain` makes a local test certificate chain for `make run`.
"""
