help rehearse
