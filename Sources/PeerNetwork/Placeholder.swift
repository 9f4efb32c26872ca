enum PeerNetworkPlaceholder {}
