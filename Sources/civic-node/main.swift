print("civic-node")
