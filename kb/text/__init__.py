"""Text: the one definition of the same characters, word segmentation (jieba) and highlighting."""
