run() { tag=$1; shift; env TAG=$tag "$@" npx tsx .exp/cv.ts > /tmp/w/exp-$tag.log 2>&1; grep RESULT /tmp/w/exp-$tag.log >> /tmp/w/results.txt; }
run l5e80 MODEL='{"convBlocks":5}' SEEDS=1,2,3 TRAIN='{"epochs":80,"patience":15}'
run l5s4 MODEL='{"convBlocks":5}' SEEDS=4
