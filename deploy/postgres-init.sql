-- One database per service: no service reads another's tables (SPEC §2).
CREATE DATABASE intake;
CREATE DATABASE mediation;
CREATE DATABASE dispatch;
CREATE DATABASE notify;
