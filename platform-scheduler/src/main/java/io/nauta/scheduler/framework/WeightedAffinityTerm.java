package io.nauta.scheduler.framework;

/** A preferred pod affinity or anti-affinity term with its weight (1..100). */
public record WeightedAffinityTerm(AffinityTerm term, int weight) {}
