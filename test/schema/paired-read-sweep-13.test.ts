// The clone suite's drift-case sweep on PostgreSQL 13 (paired-read-sweep.ts).
import { sweepDriftCases } from "./paired-read-sweep.ts";

sweepDriftCases(13);
