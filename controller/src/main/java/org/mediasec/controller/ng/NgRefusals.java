package org.mediasec.controller.ng;

/**
 * Which bound or check refused requests since the ng endpoint started (a snapshot), so that an operator (and the
 * call-rate benchmark) sees what ends a climb. A new call refused while several checks held counts under each of
 * them; {@link NgCounters#overloaded()} and {@link NgCounters#shed()} count each request once.
 *
 * @param perSourceBound requests beyond the in-flight bound for their source ({@code load limit} or the error)
 * @param overallBound requests beyond the overall in-flight bound
 * @param softBound new calls refused while the requests in flight stood at or above the soft bound
 * @param handlingDelay new calls refused while a handling delay stood ({@link NgOverload}, CoDel's rule)
 * @param waited new calls refused because the request itself waited twice the target delay before it was read
 * @param callBound new calls refused at the bound on calls held (not overloaded)
 */
public record NgRefusals(long perSourceBound, long overallBound, long softBound, long handlingDelay, long waited, long callBound) {}
