"""Brand styles as data: a LoRA adapter file plus a small manifest, kept in a styles directory.

    <styles_dir>/<style name>/style.json                    the manifest (see manifest.py)
    <styles_dir>/<style name>/pytorch_lora_weights.safetensors  the adapter, diffusers' format

`manifest` and `registry` read and check the files without torch; `adapters` loads them into a
pipeline in the runner and switches between them without reloading the base model.
"""
