#!/bin/bash
#SBATCH --account=def-someuser
#SBATCH --gres=gpu:4
#SBATCH --mem=64G
#SBATCH --cpu-per-task=8
#SBATCH --output=results/%j.out
#SBATCH --time=90m
module load anaconda3
#SBATCH --mail-type=END

salloc --gres=gpu:1 --time=1:00:00
conda activate torch
pip install timm
python train.py --data ~/projects/def-someuser/imagenet/train
