#!/bin/bash
#SBATCH --account=def-sponsor00
#SBATCH --cpus-per-task=4
#SBATCH --mem=22000M
#SBATCH --gres=gpu:1
#SBATCH --time=00-01:00:00  # DD-HH:MM:SS
#SBATCH --signal=B:USR1@300

# The workshop's atelier.sh (IFT780), with its results saved even at the time limit.
module load python/3.8

OUTDIR=~/projects/def-sponsor00/$USER/out_$SLURM_JOB_ID
save_results() {
    mkdir -p "$OUTDIR"
    cp -r "$SLURM_TMPDIR"/lightning_logs/version*/* "$OUTDIR"
}
trap save_results USR1

# Python environment on the node-local disk
cd $SLURM_TMPDIR
virtualenv --no-download env
source env/bin/activate
pip install --no-index -r ~/atelier-dl-cc/requirements.txt

# Data: one archive, extracted on the node-local disk
mkdir data
cd data
cp ~/projects/def-sponsor00/$USER/tinyimagenet.tar .
tar xf tinyimagenet.tar
cd ..

tensorboard --logdir=lightning_logs/ --host 0.0.0.0 --port 6006 &

python ~/atelier-dl-cc/train.py ./data &
wait $!

save_results
