/*
 * dps.c: what DPS answers (azure-iot-facts.md 3.5), the same over MQTT (mqtt_hub.c) and HTTPS (https.c): the
 * operation id of a registration, its status body, and the tracking id of an error.
 */
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>

#include "server.h"

void lab_dps_tracking_id(char *out, size_t size)
{
	unsigned char r[16];

	RAND_bytes(r, sizeof(r));
	snprintf(out, size, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2],
		 r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
}

void lab_dps_new_operation(char *out, size_t size)
{
	unsigned char rnd[8];

	RAND_bytes(rnd, sizeof(rnd));
	snprintf(out, size, "4.%02x%02x%02x%02x%02x%02x%02x%02x.lab", rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5],
		 rnd[6], rnd[7]);
}

/* DPS's operation status (azure-iot-facts.md 3.5): assigning, or assigned to the lab's hub; the same over MQTT
 * and HTTPS. A new string, or NULL. */
char *lab_dps_operation_json(struct lab_server *lab, const char *op, const char *reg, int assigned)
{
	json_t *o = json_object(), *st;
	char now[32], *text;

	lab_json_set_str(o, "operationId", op);
	json_object_set_new(o, "status", json_string(assigned ? "assigned" : "assigning"));
	if (assigned && (st = json_object())) {
		rs_time_format(lab_now(lab), now, sizeof(now));
		lab_json_set_str(st, "registrationId", reg);
		json_object_set_new(st, "createdDateTimeUtc", json_string(now));
		lab_json_set_str(st, "assignedHub", lab->cfg.hub_host);
		lab_json_set_str(st, "deviceId", reg);
		json_object_set_new(st, "status", json_string("assigned"));
		json_object_set_new(st, "substatus", json_string("initialAssignment"));
		json_object_set_new(st, "lastUpdatedDateTimeUtc", json_string(now));
		json_object_set_new(o, "registrationState", st);
	}
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}
