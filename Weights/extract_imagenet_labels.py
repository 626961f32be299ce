#!/usr/bin/env python3
"""Write the 1000 ImageNet-1k class names, one per line in model index order.

Source: the `_IMAGENET_CATEGORIES` list literal in `torchvision/models/_meta.py`, read from the
torchvision wheel as a zip member and parsed with `ast` (torchvision is neither installed nor run).
This is the standard ILSVRC-2012 synset order (n01440764 tench … n15075141 toilet tissue) that
the EfficientNet-Lite checkpoint's 1000 logits follow.

Usage:
  .venv/bin/pip download --no-deps torchvision==0.29.2 -d /tmp/tv
  python3 Weights/extract_imagenet_labels.py /tmp/tv/torchvision-0.29.2-*.whl Weights/imagenet-labels.txt
"""
import ast
import sys
import zipfile


def imagenet_categories(wheel_path):
    with zipfile.ZipFile(wheel_path) as wheel:
        source = wheel.read("torchvision/models/_meta.py").decode("utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "_IMAGENET_CATEGORIES" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise ValueError("_IMAGENET_CATEGORIES not found in torchvision/models/_meta.py")


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    labels = imagenet_categories(argv[1])
    expected = {0: "tench", 281: "tabby", 282: "tiger cat", 285: "Egyptian cat", 967: "espresso", 999: "toilet tissue"}
    if len(labels) != 1000 or any(labels[i] != name for i, name in expected.items()):
        raise ValueError("unexpected label list: wrong length or order")
    if any("\n" in label for label in labels):
        raise ValueError("a label contains a newline")
    with open(argv[2], "w", encoding="utf-8") as f:
        f.write("\n".join(labels) + "\n")
    print(f"{len(labels)} labels -> {argv[2]}")


if __name__ == "__main__":
    main(sys.argv)
