package io.nauta.api.flowcontrol;

/** Where a request goes: its FlowSchema, that schema's priority level, and its flow. */
record Classification(FlowSchemaRules flowSchema, PriorityLevel priorityLevel, String flow) {}
