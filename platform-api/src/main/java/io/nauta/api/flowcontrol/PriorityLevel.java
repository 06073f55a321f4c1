package io.nauta.api.flowcontrol;

/**
 * One priority level as the filter uses it: exempt levels have no {@link QueueSet}; a limited one
 * has its seats and queues, which outlive configuration changes so that waiting requests keep their
 * place.
 */
record PriorityLevel(String name, String uid, boolean exempt, QueueSet queues) {}
