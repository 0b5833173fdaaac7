probe --policy strict example.com
