help probe
