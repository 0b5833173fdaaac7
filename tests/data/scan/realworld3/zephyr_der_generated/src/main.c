/*
 * Copyright (c) 2024 Contoso Devices
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <stdio.h>
#include <zephyr/kernel.h>
#include <zephyr/net/socket.h>
#include <zephyr/net/tls_credentials.h>

#include "ca_certificate.h"

#define HTTP_HOST "contoso-hub.azure-devices.net"
#define HTTPS_PORT "443"

int main(void)
{
	static struct zsock_addrinfo hints;
	struct zsock_addrinfo *res;
	int st, sock;

	st = tls_credential_add(CA_CERTIFICATE_TAG, TLS_CREDENTIAL_CA_CERTIFICATE,
				ca_certificate, sizeof(ca_certificate));
	if (st < 0) {
		printf("Failed to register public certificate: %d\n", st);
		return 0;
	}

	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	st = zsock_getaddrinfo(HTTP_HOST, HTTPS_PORT, &hints, &res);
	if (st != 0) {
		printf("Unable to resolve address, quitting\n");
		return 0;
	}
	sock = zsock_socket(res->ai_family, res->ai_socktype, IPPROTO_TLS_1_2);

	sec_tag_t sec_tag_opt[] = {
		CA_CERTIFICATE_TAG,
	};
	zsock_setsockopt(sock, SOL_TLS, TLS_SEC_TAG_LIST, sec_tag_opt, sizeof(sec_tag_opt));
	zsock_setsockopt(sock, SOL_TLS, TLS_HOSTNAME, HTTP_HOST, sizeof(HTTP_HOST));
	zsock_connect(sock, res->ai_addr, res->ai_addrlen);
	zsock_close(sock);
	return 0;
}
