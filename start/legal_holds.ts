/*
 * Holders of legal holds register with the retention purge (`#data_map/legal_holds`) when the
 * app starts, in every process that may purge or erase. The DSR module owns the holds.
 */
import '#dsr/services/legal_holds'
